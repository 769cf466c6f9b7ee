/**
 * Customers and the contacts (people) at them.
 */
@Version("1.1.0")
@Export
package org.groupcrm.core.api.customer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
