package io.lsmlog.cli;

import io.lsmlog.GroupDescription;
import io.lsmlog.GroupLag;
import io.lsmlog.KeyRange;
import io.lsmlog.LogWrite;
import io.lsmlog.Printable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "groups",
        mixinStandardHelpOptions = true,
        description = {
            "List, describe, reset or delete reader groups.",
            "'list' prints each group with its ranges, live members and exact lag; 'describe GROUP'",
            "prints one row per key range: its position, the frontier, the lag (entries of the",
            "range between them, counted from the key index), owner and next owner, then the live",
            "members. 'reset GROUP --to earliest|latest|sequence N|timestamp T' moves every range",
            "(T: ISO-8601 or epoch milliseconds); 'delete GROUP' removes it. Reset and delete are",
            "refused while the group has live members. Live members are known to the process that",
            "writes the log: use --url while a server runs; on a directory it takes the writer lock."
        })
final class GroupsCommand extends LogCommand {
    enum Action {
        list,
        describe,
        reset,
        delete
    }

    @Parameters(
            index = "0",
            paramLabel = "ACTION",
            description = "list, describe, reset or delete.")
    Action action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "GROUP", description = "The group.")
    String group;

    @Option(
            names = "--to",
            arity = "1..2",
            paramLabel = "POSITION",
            description = "For reset: earliest, latest, sequence N or timestamp T.")
    List<String> to;

    @Override
    public Integer call() {
        if (action != Action.list && group == null) {
            throw new CliException("groups " + action + " needs a GROUP");
        }
        if (action == Action.reset && to == null) {
            throw new CliException(
                    "groups reset needs --to earliest|latest|sequence N|timestamp T");
        }
        Output out = output();
        try (LogWrite log = writer()) {
            switch (action) {
                case list -> list(log, out);
                case describe -> describe(log, out);
                case reset -> reset(log, out);
                case delete -> delete(log, out);
            }
        }
        return 0;
    }

    private void list(LogWrite log, Output out) {
        List<String> names = log.groups().list();
        TextTable table = new TextTable("GROUP", "RANGES", "MEMBERS", "LAG");
        for (String name : names) {
            Optional<GroupDescription> d = log.groups().describe(name);
            if (d.isEmpty()) {
                continue; // deleted meanwhile
            }
            long lag = GroupLag.of(log, d.get()).total();
            if (out.json()) {
                out.record(
                        "",
                        Output.fields(
                                "group",
                                name,
                                "ranges",
                                d.get().ranges().size(),
                                "members",
                                d.get().members().size(),
                                "lag",
                                lag));
            } else {
                table.row(
                        name,
                        "" + d.get().ranges().size(),
                        "" + d.get().members().size(),
                        "" + lag);
            }
        }
        if (!out.json()) {
            if (names.isEmpty()) {
                progress("no groups");
            } else {
                table.print(out);
            }
        }
    }

    private GroupDescription existing(LogWrite log) {
        return log.groups()
                .describe(group)
                .orElseThrow(() -> new CliException("no group '" + group + "'"));
    }

    private void describe(LogWrite log, Output out) {
        GroupDescription d = existing(log);
        GroupLag lag = GroupLag.of(log, d);
        TextTable ranges =
                new TextTable(
                        "GROUP",
                        "RANGE",
                        "KEYS",
                        "POSITION",
                        "FRONTIER",
                        "LAG",
                        "OWNER",
                        "NEXT-OWNER");
        for (GroupDescription.Range r : d.ranges()) {
            long rangeLag = lag.perRange().get(r.id());
            if (out.json()) {
                out.record(
                        "",
                        Output.fields(
                                "group", d.name(),
                                "range", r.id(),
                                "start", bound(r.keys().start()),
                                "end", bound(r.keys().end()),
                                "position", r.position(),
                                "frontier", lag.frontier(),
                                "lag", rangeLag,
                                "owner", r.owner(),
                                "nextOwner", r.nextOwner()));
            } else {
                ranges.row(
                        d.name(),
                        "" + r.id(),
                        keys(r.keys()),
                        "" + r.position(),
                        "" + lag.frontier(),
                        "" + rangeLag,
                        r.owner() == null ? "-" : r.owner(),
                        r.nextOwner() == null ? "-" : r.nextOwner());
            }
        }
        if (out.json()) {
            for (GroupDescription.Member m : d.members()) {
                out.record(
                        "",
                        Output.fields(
                                "group", d.name(),
                                "member", m.id(),
                                "idleMs", m.idleMillis(),
                                "sessionTimeoutMs", m.sessionTimeoutMillis()));
            }
            return;
        }
        ranges.print(out);
        out.record("", Output.fields());
        if (d.members().isEmpty()) {
            out.record(
                    "group " + d.name() + " has no live members (total lag " + lag.total() + ")",
                    Output.fields());
            return;
        }
        TextTable members = new TextTable("MEMBER", "RANGES", "IDLE-MS", "SESSION-TIMEOUT-MS");
        for (GroupDescription.Member m : d.members()) {
            long owned = d.ranges().stream().filter(r -> m.id().equals(r.owner())).count();
            members.row(m.id(), "" + owned, "" + m.idleMillis(), "" + m.sessionTimeoutMillis());
        }
        members.print(out);
        out.record("generation " + d.generation() + ", total lag " + lag.total(), Output.fields());
    }

    private void reset(LogWrite log, Output out) {
        existing(log);
        long sequence = target(log);
        log.groups().reset(group, sequence);
        GroupDescription d = existing(log);
        long lag = GroupLag.of(log, d).total();
        long position = d.ranges().isEmpty() ? sequence : d.ranges().get(0).position();
        out.record(
                "reset group "
                        + group
                        + ": "
                        + d.ranges().size()
                        + " ranges to sequence "
                        + position
                        + ", lag now "
                        + lag,
                Output.fields(
                        "group",
                        group,
                        "ranges",
                        d.ranges().size(),
                        "position",
                        position,
                        "lag",
                        lag));
    }

    private long target(LogWrite log) {
        String kind = to.get(0);
        String value = to.size() > 1 ? to.get(1) : null;
        switch (kind) {
            case "earliest", "latest" -> {
                if (value != null) {
                    throw new CliException("--to " + kind + " takes no value, got '" + value + "'");
                }
                return kind.equals("earliest") ? log.firstSequence() : log.nextSequence();
            }
            case "sequence" -> {
                try {
                    long s = Long.parseLong(required(kind, value));
                    if (s < 0) {
                        throw new CliException("--to sequence must be >= 0, got " + s);
                    }
                    return s;
                } catch (NumberFormatException e) {
                    throw new CliException("--to sequence needs a number, got '" + value + "'");
                }
            }
            case "timestamp" -> {
                return log.sequenceAt(timestamp(required(kind, value)));
            }
            default ->
                    throw new CliException(
                            "--to takes earliest, latest, sequence N or timestamp T, got '"
                                    + kind
                                    + "'");
        }
    }

    private static String required(String kind, String value) {
        if (value == null) {
            throw new CliException("--to " + kind + " needs a value");
        }
        return value;
    }

    private static long timestamp(String text) {
        if (text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new CliException(
                    "--to timestamp needs ISO-8601 (2026-12-04T10:00:00Z) or epoch milliseconds,"
                            + " got '"
                            + text
                            + "'");
        }
    }

    private void delete(LogWrite log, Output out) {
        if (!log.groups().delete(group)) {
            throw new CliException("no group '" + group + "'");
        }
        out.record("deleted group " + group, Output.fields("deleted", true, "group", group));
    }

    private static String keys(KeyRange r) {
        return "["
                + (r.start() == null ? "-inf" : Printable.bytes(r.start()))
                + ", "
                + (r.end() == null ? "+inf" : Printable.bytes(r.end()))
                + ")";
    }

    /** A bound in JSON: null when open. */
    private static String bound(byte[] b) {
        return b == null ? null : Printable.bytes(b);
    }
}
