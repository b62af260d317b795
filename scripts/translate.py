"""Fill French msgstrs from a JSON object {msgid: msgstr}: python scripts/translate.py CATALOG.po FILE.json"""
import json
import sys

from babel.messages.pofile import read_po, write_po

path, table_path = sys.argv[1], sys.argv[2]
with open(path, "rb") as po:
    catalog = read_po(po)
table = json.load(open(table_path, encoding="utf-8"))
for message in catalog:
    key = message.id[0] if isinstance(message.id, tuple) else message.id
    if key in table:
        value = table[key]
        message.string = tuple(value) if isinstance(value, list) else value
        message.flags.discard("fuzzy")
with open(path, "wb") as po:
    write_po(po, catalog, width=0, omit_header=False, sort_output=True)
