"""The bottom layer: reading the atlas's data files (YAML with the line of every value, EDTF dates) and
reporting what is wrong in them as `path:line: id: field: message`. Imports nothing of the atlas."""
