package org.groupcrm.core.api.module;

import java.util.List;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Per-subsidiary enablement of modules, with phased roll-out and a history of every change. Thread-safe. A change
 * is in force for the next request, without restart.
 */
@ProviderType
public interface ModuleService {

    /** @return the installed modules by id, each with its state in the caller's current subsidiary */
    List<ModuleDTO> installed(CallerContext caller);

    /**
     * @return the state of every installed module in {@code subsidiary}, by module id
     * @throws org.groupcrm.core.api.ForbiddenException the caller may not administer that subsidiary
     * @throws org.groupcrm.core.api.NotFoundException  no such subsidiary
     */
    List<ModuleStateDTO> states(CallerContext caller, String subsidiary);

    /**
     * Changes the state of {@code module} in {@code subsidiary}; records who, when, from → to; calls the module's
     * provisioning hook when it comes into or leaves force.
     *
     * @throws org.groupcrm.core.api.ValidationException a field is invalid, a pilot user is unknown there, or a module
     *                                                   it requires is not in force (the message names it)
     * @throws org.groupcrm.core.api.NotFoundException   no such subsidiary or module
     * @throws org.groupcrm.core.api.ForbiddenException  the caller may not administer that subsidiary
     */
    ModuleStateDTO setState(CallerContext caller, String subsidiary, String module, ModuleStateDTO state);

    /** @return the changes of {@code module}'s state in {@code subsidiary}, newest first */
    List<ModuleStateDTO> history(CallerContext caller, String subsidiary, String module);

    /**
     * @return whether {@code module} is in force for the caller now: installed, compatible, and ON (from its date)
     *         in the caller's subsidiary, or PILOT (from its date) with the caller among the pilot users. Fast: answered
     *         from memory, safe to call on every request.
     */
    boolean inForce(CallerContext caller, String module);

    /**
     * For event handlers and scheduled jobs, which have no request: whether {@code module} is in force in
     * {@code subsidiary} now for the user {@code login}, or, when {@code login} is {@code null}, for everyone (ON).
     * Fast: answered from memory.
     */
    boolean inForce(String subsidiary, String login, String module);

    /**
     * For scheduled jobs: the subsidiaries where {@code module} is in force now for at least someone (ON, or PILOT),
     * by code. A job acting for particular users checks {@link #inForce(String, String, String)} for each.
     */
    Set<String> subsidiariesInForce(String module);
}
