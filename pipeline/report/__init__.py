"""Reports per gemeente: PDF, Excel and CSV renderings of one edition's marts.

``batch`` makes them for `gvb report`; ``content`` reads what a report says; ``pdf``, ``excel`` and
``csvfile`` render it. Importing the package loads none of them.
"""
