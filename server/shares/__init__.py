"""Share links for clinicians: SMART Health Links, the International Patient Summary."""
