"""Ofsted's Annex A child-level lists (ILACS), made from the records as they stood on any date.

``lists`` says what each list is (its sheet, columns and window); ``build`` makes the rows from the records;
``workbook`` writes them as the .xlsx Ofsted asks for and reads such a workbook back.
"""
