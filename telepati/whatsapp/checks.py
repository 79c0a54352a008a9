"""System checks for the WHATSAPP_* settings (filled in with the adapter)."""
