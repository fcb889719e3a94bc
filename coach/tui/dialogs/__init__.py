"""Modal dialogs: small screens that ask one question and dismiss with the answer."""
