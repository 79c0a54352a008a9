"""Back-office pages of the priority programs (/kantor/program/): UMKM, trainings, activities."""
