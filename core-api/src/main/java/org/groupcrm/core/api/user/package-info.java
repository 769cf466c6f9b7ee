/**
 * CRM users: identity, home subsidiary, further subsidiaries, positions (roles), sales team and the reps an assistant
 * works for.
 */
@Version("1.1.0")
@Export
package org.groupcrm.core.api.user;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
