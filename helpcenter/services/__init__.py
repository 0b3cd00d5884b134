"""What the site does, apart from how it is shown: one package per domain (accounts, content,
community, search, insights, webhooks). Views, commands and jobs call these functions; services
return data and never build URLs or read the request."""
