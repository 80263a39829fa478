// Package cohortbot holds what the service embeds from the repository root:
// app.yml, the GitHub App manifest the set-up page registers.
package cohortbot

import _ "embed"

// AppManifest is app.yml (GitHub's App-manifest format): name, description,
// default events and permissions. `cohortbot serve` started without
// credentials registers the App from it.
//
//go:embed app.yml
var AppManifest []byte
