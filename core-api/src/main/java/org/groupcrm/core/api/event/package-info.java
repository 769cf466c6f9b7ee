/**
 * EventAdmin topics and event property keys published by the core after each committed write; the hook that plugins listen on.
 */
@Version("1.0.0")
@Export
package org.groupcrm.core.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
