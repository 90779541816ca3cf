"""The GVB dashboard (Dash). Built in a later issue; it will read published editions read-only."""
