int ra_report_placeholder_(void); int ra_report_placeholder_(void) { return 0; }
