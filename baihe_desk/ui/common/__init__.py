"""Qt building blocks every page uses: the Qt shim, widgets and messages, forms, background work, crash handling."""
