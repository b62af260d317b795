"""Program logic that needs no web: conflicts, iCal and frab exports. Plain values in, plain values out."""
