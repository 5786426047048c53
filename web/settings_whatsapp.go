package web

const settingsWhatsAppURL = "/admin/settings/whatsapp"
