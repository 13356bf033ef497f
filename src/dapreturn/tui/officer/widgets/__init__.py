"""Small widgets of the officer app: navigation bar, load progress, text bar charts, sparklines."""
