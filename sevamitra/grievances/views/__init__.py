"""The grievance pages: the citizen's (citizen.py), the Sevamitra's (provider.py), the
officers' (officer.py). Views are thin: a form, one service or selector, a page."""
