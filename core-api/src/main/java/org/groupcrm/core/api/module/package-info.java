/**
 * The module (plugin) SPI: a plugin declares itself with a {@link org.groupcrm.core.api.module.CrmModule} service, and
 * the core decides per subsidiary (and pilot user, from a date) whether the module is in force
 * ({@link org.groupcrm.core.api.module.ModuleService}).
 */
@Version("1.0.0")
@Export
package org.groupcrm.core.api.module;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
