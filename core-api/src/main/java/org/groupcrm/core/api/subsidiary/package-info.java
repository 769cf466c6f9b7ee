/**
 * Subsidiaries: the companies of the group. Every business record belongs to exactly one.
 */
@Version("1.1.0")
@Export
package org.groupcrm.core.api.subsidiary;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
