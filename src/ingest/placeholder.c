int ra_ingest_placeholder_(void); int ra_ingest_placeholder_(void) { return 0; }
