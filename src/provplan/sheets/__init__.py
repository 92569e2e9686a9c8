"""Workbooks both ways: an action plan or a progress report exported for officers to fill in
(`export`), the filled workbook merged back into the YAML and checked (`ingest`, `merge`,
`check`), and every plan as tidy tables for analysts (`provplan.tables`).

The workbook's layout is the contract tests outside this repository rely on: sheet
`โครงการ`, row 1 Thai headings, row 2 the field paths of the format, one project per row from
row 3; a progress report's indicator results likewise on `ตัวชี้วัด` (`columns.py`, a layout
per document kind).
"""
