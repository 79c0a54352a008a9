"""Writes of the priority programs: the UMKM registry (`umkm`) and the activity log
(`activities`), both following `common`'s recipe."""
