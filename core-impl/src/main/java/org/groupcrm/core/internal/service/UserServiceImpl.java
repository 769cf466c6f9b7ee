package org.groupcrm.core.internal.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.persistence.EntityManager;

import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.CoreResourceTypes;
import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.ValidationException.FieldError;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.api.user.UserDTO;
import org.groupcrm.core.api.user.UserService;
import org.groupcrm.core.internal.persistence.SubsidiaryEntity;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.Tx;
import org.groupcrm.core.internal.persistence.UserEntity;
import org.groupcrm.core.internal.security.PasswordHasher;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** CRM users: creation with hashed passwords, and listing for administrators. */
@Component(service = {UserService.class, UserServiceImpl.class})
public class UserServiceImpl implements UserService {
    private final PasswordHasher hasher = new PasswordHasher();
    private final Clock clock = DbClock.UTC;

    @Reference
    RightsServiceImpl rights;

    @Reference
    Tx tx;

    @Reference
    InputValidator validator;

    @Reference
    org.groupcrm.core.internal.security.Authenticator authenticator;

    @Override
    public UserDTO create(CallerContext caller, UserDTO input) {
        rights.require(caller, CoreResourceTypes.USER, Right.ADMIN);
        List<FieldError> errors = new ArrayList<>();
        if (input != null) {
            if (input.password == null) {
                errors.add(new FieldError("password", "must not be null"));
            }
            if (input.roles != null) {
                input.roles.stream().filter(r -> r == null || !Roles.ALL.contains(r)).map(String::valueOf).sorted()
                        .forEach(r -> errors.add(new FieldError("roles", "unknown role '" + r + "'; known: " + new TreeSet<>(Roles.ALL))));
            }
            if (input.subsidiaries != null && input.subsidiaries.contains(null)) {
                errors.add(new FieldError("subsidiaries", "must not contain null"));
            }
        }
        validator.validate(input, errors);
        Set<String> roles = input.roles == null || input.roles.isEmpty() ? Set.of(Roles.USER) : input.roles;
        if (!roles.contains(Roles.GROUP_ADMIN) && input.homeSubsidiary == null) {
            throw new ValidationException("homeSubsidiary", "must not be null unless the user is a group administrator");
        }
        if (input.team != null && input.homeSubsidiary == null) {
            throw new ValidationException("team", "a team belongs to a home subsidiary; this user has none");
        }
        if (input.reps != null && !input.reps.isEmpty() && !roles.contains(Roles.SALES_ASSISTANT)) {
            throw new ValidationException("reps", "only a " + Roles.SALES_ASSISTANT + " works for reps");
        }
        if (roles.contains(Roles.GROUP_ADMIN)) {
            Access.requireGroupAdmin(caller, "create group administrators");
        }
        if (roles.contains(Roles.SUBSIDIARY_ADMIN)) {
            Access.requireAdmin(caller, "create subsidiary administrators");
        }
        String hash = hasher.hash(input.password);
        return tx.run((em, events) -> {
            Set<String> wanted = new LinkedHashSet<>();
            if (input.homeSubsidiary != null) {
                wanted.add(input.homeSubsidiary);
            }
            if (input.subsidiaries != null) {
                wanted.addAll(input.subsidiaries);
            }
            if (!caller.hasRole(Roles.GROUP_ADMIN)) {
                String home = homeSubsidiaryOf(em, caller.userId());
                for (String code : wanted) {
                    if (!code.equals(home)) {
                        throw new ForbiddenException("a subsidiary administrator may only create users of their home subsidiary; not of '" + code + "'");
                    }
                }
            }
            if (!em.createQuery("select u.id from UserEntity u where u.login = :login")
                    .setParameter("login", input.login).getResultList().isEmpty()) {
                throw new ConflictException("duplicate", "the login '" + input.login + "' is taken");
            }
            UserEntity u = new UserEntity();
            u.login = input.login;
            u.displayName = input.displayName.strip();
            u.passwordHash = hash;
            u.homeSubsidiary = input.homeSubsidiary == null ? null : subsidiary(em, "homeSubsidiary", input.homeSubsidiary);
            if (input.subsidiaries != null) {
                for (String code : input.subsidiaries) {
                    u.subsidiaries.add(subsidiary(em, "subsidiaries", code));
                }
            }
            u.roles = new HashSet<>(roles);
            u.team = input.team;
            if (input.reps != null) {
                u.reps = reps(em, u, input.reps);
            }
            Instant now = clock.instant();
            u.created(now);
            em.persist(u);
            em.flush();
            Audit.record(em, caller, u.homeSubsidiary == null ? null : u.homeSubsidiary.id, "user", u.login, "CREATE",
                    java.util.Map.of(), u, now);
            return Mapper.user(u);
        });
    }

    @Override
    public List<UserDTO> list(CallerContext caller) {
        rights.require(caller, CoreResourceTypes.USER, Right.QUERY);
        return tx.run((em, events) -> {
            List<UserEntity> users = em.createQuery("select u from UserEntity u order by u.login", UserEntity.class)
                    .getResultList();
            return users.stream().filter(u -> caller.hasRole(Roles.GROUP_ADMIN) || actsIn(u, caller.subsidiary()))
                    .map(Mapper::user).toList();
        });
    }

    @Override
    public Optional<UserDTO> findByLogin(String login) {
        return tx.run((em, events) -> em.createQuery("select u from UserEntity u where u.login = :login", UserEntity.class)
                .setParameter("login", login).getResultList().stream().findFirst().map(Mapper::user));
    }

    /** @return whether {@code user} may act in the subsidiary with {@code code} */
    @Override
    public UserDTO setEnabled(CallerContext caller, String login, boolean enabled) {
        rights.require(caller, CoreResourceTypes.USER, Right.ADMIN);
        if (login == null || login.equals(caller.login())) {
            throw new ValidationException("login", "you cannot disable or enable yourself");
        }
        UserDTO result = tx.run((em, events) -> {
            UserEntity u = managed(em, caller, login);
            if (u.enabled != enabled) {
                java.util.Map<String, Object> before = Audit.snapshot(u);
                u.enabled = enabled;
                em.flush();
                Audit.record(em, caller, u.homeSubsidiary == null ? null : u.homeSubsidiary.id, "user", u.login,
                        enabled ? "ENABLE" : "DISABLE", before, u, java.time.Instant.now());
            }
            return Mapper.user(u);
        });
        authenticator.invalidate(login);
        return result;
    }

    @Override
    public UserDTO setTeam(CallerContext caller, String login, String team) {
        rights.require(caller, CoreResourceTypes.USER, Right.ADMIN);
        String code = team == null || team.isBlank() ? null : team.strip();
        if (code != null && (code.length() > 64 || !code.matches(UserDTO.TEAM_PATTERN))) {
            throw new ValidationException("team", code.length() > 64 ? "size must be between 0 and 64" : UserDTO.TEAM_RULE);
        }
        return tx.run((em, events) -> {
            UserEntity u = managed(em, caller, login);
            if (u.homeSubsidiary == null) {
                throw new ValidationException("login", "'" + login + "' has no home subsidiary, so no team");
            }
            if (!java.util.Objects.equals(u.team, code)) {
                java.util.Map<String, Object> before = Audit.snapshot(u);
                u.team = code;
                em.flush();
                Audit.record(em, caller, u.homeSubsidiary.id, "user", u.login, "UPDATE", before, u, Instant.now());
            }
            return Mapper.user(u);
        });
    }

    @Override
    public UserDTO setReps(CallerContext caller, String login, Set<String> reps) {
        rights.require(caller, CoreResourceTypes.USER, Right.ADMIN);
        if (reps == null) {
            throw new ValidationException("reps", "must not be null; [] for none");
        }
        return tx.run((em, events) -> {
            UserEntity u = managed(em, caller, login);
            if (!u.roles.contains(Roles.SALES_ASSISTANT)) {
                throw new ValidationException("login", "'" + login + "' is not a " + Roles.SALES_ASSISTANT);
            }
            Set<UserEntity> wanted = reps(em, u, reps);
            if (!wanted.equals(u.reps)) {
                java.util.Map<String, Object> before = Audit.snapshot(u);
                u.reps = wanted;
                em.flush();
                Audit.record(em, caller, u.homeSubsidiary.id, "user", u.login, "UPDATE", before, u, Instant.now());
            }
            return Mapper.user(u);
        });
    }

    /** @return the active users of {@code assistant}'s home subsidiary named in {@code logins}; else 400 on reps */
    private static Set<UserEntity> reps(EntityManager em, UserEntity assistant, Set<String> logins) {
        List<FieldError> errors = new ArrayList<>();
        Set<UserEntity> found = new HashSet<>();
        String home = assistant.homeSubsidiary == null ? null : assistant.homeSubsidiary.code;
        for (String login : new TreeSet<>(logins.stream().map(String::valueOf).toList())) {
            if (login.equals(assistant.login)) {
                errors.add(new FieldError("reps", "an assistant does not work for themselves"));
                continue;
            }
            Optional<UserEntity> rep = em.createQuery("select u from UserEntity u where u.login = :login", UserEntity.class)
                    .setParameter("login", login).getResultList().stream()
                    .filter(r -> r.enabled && r.homeSubsidiary != null && r.homeSubsidiary.code.equals(home)).findFirst();
            if (rep.isEmpty()) {
                errors.add(new FieldError("reps", "no active user '" + login + "' whose home is subsidiary " + home));
            } else {
                found.add(rep.get());
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return found;
    }

    @Override
    public List<String> teamMembers(String subsidiary, String team) {
        if (subsidiary == null || team == null) {
            return List.of();
        }
        return tx.run((em, events) -> em.createQuery("select u.login from UserEntity u where u.homeSubsidiary.code = :s"
                        + " and u.team = :t order by u.login", String.class)
                .setParameter("s", subsidiary).setParameter("t", team).getResultList());
    }

    /**
     * @return the user {@code login} if the caller manages them: a group administrator everyone; a subsidiary's
     *         administrator the users whose home is their own home subsidiary, except group administrators
     * @throws org.groupcrm.core.api.NotFoundException no such user, or one the caller does not manage (reported alike)
     */
    private static UserEntity managed(EntityManager em, CallerContext caller, String login) {
        UserEntity u = em.createQuery("select u from UserEntity u where u.login = :login", UserEntity.class)
                .setParameter("login", login).getResultList().stream().findFirst()
                .orElseThrow(() -> new org.groupcrm.core.api.NotFoundException("user", login));
        if (!caller.hasRole(Roles.GROUP_ADMIN)) {
            String home = homeSubsidiaryOf(em, caller.userId());
            if (u.roles.contains(Roles.GROUP_ADMIN) || u.homeSubsidiary == null || !u.homeSubsidiary.code.equals(home)) {
                // someone this administrator does not manage is reported like someone who does not exist
                throw new org.groupcrm.core.api.NotFoundException("user", login);
            }
        }
        return u;
    }

    static boolean actsIn(UserEntity user, String code) {
        if (code == null) {
            return false;
        }
        if (user.homeSubsidiary != null && code.equals(user.homeSubsidiary.code)) {
            return true;
        }
        return user.subsidiaries.stream().anyMatch(s -> code.equals(s.code));
    }

    private static String homeSubsidiaryOf(EntityManager em, long userId) {
        UserEntity u = em.find(UserEntity.class, userId);
        return u == null || u.homeSubsidiary == null ? null : u.homeSubsidiary.code;
    }

    private static SubsidiaryEntity subsidiary(EntityManager em, String field, String code) {
        return em.createQuery("select s from SubsidiaryEntity s where s.code = :code", SubsidiaryEntity.class)
                .setParameter("code", code).getResultList().stream().findFirst()
                .orElseThrow(() -> new ValidationException(field, "unknown subsidiary '" + code + "'"));
    }
}
