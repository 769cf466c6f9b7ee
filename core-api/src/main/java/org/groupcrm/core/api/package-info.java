/**
 * Cross-cutting types of the CRM contract: the caller context every service call carries, paging, and the exceptions that services throw (each maps to one HTTP status at the REST edge).
 */
@Version("1.0.0")
@Export
package org.groupcrm.core.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
