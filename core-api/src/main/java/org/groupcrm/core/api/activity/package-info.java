/**
 * Activities: the detailed record of every visit, call, message, meeting, service, suggestion or note, and follow-up reminders.
 */
@Version("1.0.0")
@Export
package org.groupcrm.core.api.activity;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
