int ra_analysis_placeholder_(void); int ra_analysis_placeholder_(void) { return 0; }
