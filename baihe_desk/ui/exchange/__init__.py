"""案件包 pages: export, import preview and conflicts, registered desks."""
