"""Population-document services (layanan adminduk): catalogue, applications, hand-over."""
