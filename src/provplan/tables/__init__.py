"""Every plan as tidy tables for analysts (`provplan tables`): `rows.py` builds the rows of
each table from the validated plans, `write.py` writes them as CSV, Parquet or a workbook."""
