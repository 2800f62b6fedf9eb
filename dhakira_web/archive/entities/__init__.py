"""Pages and data for places, organisations and persons; person mentions resolved to person entities."""
