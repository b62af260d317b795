"""Fill French msgstrs from a JSON object {msgid: msgstr}: python scripts/translate.py CATALOG.po FILE.json"""
import json
import sys

from babel.messages.pofile import read_po, write_po

path, table_path = sys.argv[1], sys.argv[2]
with open(path, "rb") as po:
    catalog = read_po(po)
table = json.load(open(table_path, encoding="utf-8"))
for message in catalog:
    if message.id in table:
        message.string = table[message.id]
        message.flags.discard("fuzzy")
with open(path, "wb") as po:
    write_po(po, catalog, width=0, omit_header=False, sort_output=True)
