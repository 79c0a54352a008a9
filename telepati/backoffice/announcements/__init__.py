"""Back-office pages of announcements to subscribed residents (/kantor/pengumuman/)."""
