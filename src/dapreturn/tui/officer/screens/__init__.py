"""The main screen of the officer app, its five views and its dialogs."""
