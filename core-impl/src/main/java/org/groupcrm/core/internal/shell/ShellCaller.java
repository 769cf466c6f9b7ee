package org.groupcrm.core.internal.shell;

import java.util.Set;

import org.apache.karaf.shell.support.ShellUtil;
import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.user.Roles;

/**
 * The caller of a CRM shell command: the Karaf user of the session (who may use the {@code crm} commands is Karaf's
 * command ACL's decision), acting as a group administrator, recorded as {@code karaf:<user>} in every history.
 */
final class ShellCaller {
    private ShellCaller() {
    }

    static CallerContext current(String subsidiary) {
        String user = ShellUtil.getCurrentUserName();
        return new CallerContext(0, "karaf:" + (user == null ? "unknown" : user), subsidiary, Set.of(Roles.GROUP_ADMIN));
    }
}
