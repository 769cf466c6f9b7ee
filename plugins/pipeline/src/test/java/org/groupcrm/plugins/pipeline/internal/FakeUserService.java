package org.groupcrm.plugins.pipeline.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.api.user.UserDTO;
import org.groupcrm.core.api.user.UserService;

/** The users of one subsidiary, in memory: look-ups and teams; administration is not the plugin's business. */
final class FakeUserService implements UserService {
    private final String subsidiary;
    final Map<String, UserDTO> users = new TreeMap<>();

    FakeUserService(String subsidiary) {
        this.subsidiary = subsidiary;
    }

    FakeUserService add(long id, String login, boolean enabled) {
        UserDTO u = new UserDTO();
        u.id = id;
        u.login = login;
        u.enabled = enabled;
        u.homeSubsidiary = subsidiary;
        u.roles = new HashSet<>(Set.of(Roles.USER));
        users.put(login, u);
        return this;
    }

    FakeUserService team(String team, String... logins) {
        for (String login : logins) {
            users.get(login).team = team;
        }
        return this;
    }

    @Override
    public Optional<UserDTO> findByLogin(String login) {
        return Optional.ofNullable(users.get(login));
    }

    @Override
    public List<String> teamMembers(String subsidiary, String team) {
        return users.values().stream().filter(u -> u.homeSubsidiary.equals(subsidiary) && team.equals(u.team))
                .map(u -> u.login).toList();
    }

    @Override
    public UserDTO create(CallerContext caller, UserDTO user) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<UserDTO> list(CallerContext caller) {
        throw new UnsupportedOperationException();
    }

    @Override
    public UserDTO setEnabled(CallerContext caller, String login, boolean enabled) {
        throw new UnsupportedOperationException();
    }

    @Override
    public UserDTO setTeam(CallerContext caller, String login, String team) {
        throw new UnsupportedOperationException();
    }

    @Override
    public UserDTO setReps(CallerContext caller, String login, Set<String> reps) {
        throw new UnsupportedOperationException();
    }
}
