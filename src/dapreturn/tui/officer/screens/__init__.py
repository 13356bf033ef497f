"""The officer app's main screen, its five views (inbox, dashboard, history, KPIs, trust), dialogs."""
