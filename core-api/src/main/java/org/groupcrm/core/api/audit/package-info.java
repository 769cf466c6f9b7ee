/**
 * The audit trail for modules' records: who changed what, when, in which subsidiary, written in the write's own
 * transaction, read through {@code GET /api/v1/audit} like the core's entries.
 */
@Version("1.0.0")
@Export
package org.groupcrm.core.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
