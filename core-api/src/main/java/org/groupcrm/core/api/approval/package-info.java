/**
 * Electronic approval: a request (a discount, a credit limit, any type a plugin defines) goes through one or more
 * review steps, each decided by a holder of a position, instead of a paper form carried between departments.
 */
@Version("1.0.0")
@Export
package org.groupcrm.core.api.approval;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
