using System.CommandLine;
using System.Globalization;
using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Storage.Providers;
using AttributionExplorer.Worker.Accounts;
using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Worker.Commands;

/// <summary>`precompute users …`: who may sign in to the web app, with which role, and their API tokens.</summary>
public static class UsersCommand
{
    /// <param name="input">Where passwords are read from when not given with --password (default: the terminal,
    /// without echo, or standard input when it is redirected).</param>
    public static Command Create(TextReader? input = null)
    {
        var config = new Option<string?>("--config") { Description = "path of appsettings.json (default: $AE_HOME or ./appsettings.json)" };
        Option<string> Name() => new("--name") { Description = "the user's name (letters, digits, - . _ @ +)", Required = true };
        Option<string> Role() => new("--role") { Description = $"one of {string.Join(", ", UserRoles.All)}", Required = true };
        Option<string?> Password() => new("--password")
            { Description = "the password (visible in the process list and shell history; without it the password is read from the terminal or standard input)" };

        var command = new Command("users", "who may sign in to the web app: add, list, change role, remove, reset passwords, API tokens");

        var addName = Name();
        var addRole = Role();
        var addPassword = Password();
        var external = new Option<bool>("--external") { Description = "signs in through OpenID Connect only (no password)" };
        var add = new Command("add", "add a user with a role and a password (or --external)") { addName, addRole, addPassword, external, config };
        add.SetAction(r => Run(r, config, (admin, o) =>
        {
            string name = r.GetValue(addName)!;
            bool isExternal = r.GetValue(external);
            string? password = isExternal ? r.GetValue(addPassword) : r.GetValue(addPassword) ?? ReadPassword(input, o, name);
            var user = admin.Add(name, r.GetValue(addRole)!, password, isExternal);
            o.WriteLine($"added {user.Name} ({user.Role}){(isExternal ? ", OpenID Connect sign-in only" : "")}");
        }));
        command.Subcommands.Add(add);

        var list = new Command("list", "list the users: role, lockout, live API tokens, linked external logins") { config };
        list.SetAction(r => Run(r, config, (admin, o) =>
        {
            var users = admin.List();
            if (users.Count == 0)
            {
                o.WriteLine("no users yet: add the first admin with `precompute users add --name NAME --role admin`");
                return;
            }
            o.WriteLine("name\trole\tsign-in\tlocked until\ttokens\tcreated (UTC)");
            var now = DateTimeOffset.UtcNow;
            foreach (var (u, tokens, logins) in users)
            {
                string signIn = string.Join("+", new[] { u.PasswordHash is null ? null : "password" }.Concat(logins.Select(l => l.Provider)).OfType<string>());
                string locked = u.IsLockedOut(now) ? u.LockoutEndUtc!.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";
                o.WriteLine($"{u.Name}\t{u.Role}\t{(signIn.Length == 0 ? "none" : signIn)}\t{locked}\t{tokens}\t{u.CreatedUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}");
            }
        }));
        command.Subcommands.Add(list);

        var roleName = Name();
        var roleRole = Role();
        var role = new Command("role", "change a user's role (their sign-ins end within a minute)") { roleName, roleRole, config };
        role.SetAction(r => Run(r, config, (admin, o) =>
        {
            var user = admin.SetRole(r.GetValue(roleName)!, r.GetValue(roleRole)!);
            o.WriteLine($"{user.Name} is now {user.Role}");
        }));
        command.Subcommands.Add(role);

        var removeName = Name();
        var remove = new Command("remove", "remove a user with their API tokens (flags and exports keep their name)") { removeName, config };
        remove.SetAction(r => Run(r, config, (admin, o) =>
        {
            admin.Remove(r.GetValue(removeName)!);
            o.WriteLine($"removed {r.GetValue(removeName)}");
        }));
        command.Subcommands.Add(remove);

        var passwordName = Name();
        var passwordValue = Password();
        var password = new Command("password", "set a new password (also unlocks; the user's sign-ins end within a minute)") { passwordName, passwordValue, config };
        password.SetAction(r => Run(r, config, (admin, o) =>
        {
            string name = r.GetValue(passwordName)!;
            var user = admin.SetPassword(name, r.GetValue(passwordValue) ?? ReadPassword(input, o, name));
            o.WriteLine($"new password set for {user.Name}");
        }));
        command.Subcommands.Add(password);

        var unlockName = Name();
        var unlock = new Command("unlock", "end a lockout after too many failed sign-ins") { unlockName, config };
        unlock.SetAction(r => Run(r, config, (admin, o) => o.WriteLine($"{admin.Unlock(r.GetValue(unlockName)!).Name} is unlocked")));
        command.Subcommands.Add(unlock);

        var tokenName = Name();
        var label = new Option<string>("--label") { Description = "what the token is for (shown by `users list`)", DefaultValueFactory = _ => "api" };
        var token = new Command("token", "make a new API token (Authorization: Bearer TOKEN); it is printed once and only its hash is stored")
            { tokenName, label, config };
        token.SetAction(r => Run(r, config, (admin, o) =>
        {
            var (value, record) = admin.NewToken(r.GetValue(tokenName)!, r.GetValue(label)!);
            // The token alone on stdout, so `TOKEN=$(precompute users token --name N)` works; the note goes to stderr.
            o.WriteLine(value);
            r.InvocationConfiguration.Error.WriteLine($"token {record.Id} for {r.GetValue(tokenName)}: store it now, it is not shown again (revoke: `users revoke --name {r.GetValue(tokenName)} --id {record.Id}`)");
        }));
        command.Subcommands.Add(token);

        var revokeName = Name();
        var tokenId = new Option<long?>("--id") { Description = "the token to revoke (default: all of the user's tokens)" };
        var revoke = new Command("revoke", "revoke a user's API tokens (one with --id, else all)") { revokeName, tokenId, config };
        revoke.SetAction(r => Run(r, config, (admin, o) =>
            o.WriteLine($"revoked {admin.RevokeTokens(r.GetValue(revokeName)!, r.GetValue(tokenId))} token(s) of {r.GetValue(revokeName)}")));
        command.Subcommands.Add(revoke);

        var file = new Option<string>("--file") { Description = "where the password is written (mode 600)", DefaultValueFactory = _ => "data/demo-admin.txt" };
        var demoAdmin = new Command("demo-admin", "make sure an admin exists: if none does, add 'admin' with a random password written to --file") { file, config };
        demoAdmin.SetAction(r => Run(r, config, (admin, o) =>
        {
            string path = PathResolver.Resolve(r.GetValue(file)!);
            var (name, created) = admin.EnsureDemoAdmin(path);
            o.WriteLine(created
                ? $"added the demo admin '{name}': the password is in {path} (readable by you only)"
                : $"admin '{name}' exists{(File.Exists(path) ? $"; the demo admin's password is in {path}" : "")}");
        }));
        command.Subcommands.Add(demoAdmin);
        return command;
    }

    private static int Run(ParseResult r, Option<string?> config, Action<UserAdmin, TextWriter> action)
    {
        var output = r.InvocationConfiguration.Output;
        try
        {
            var options = WorkerSettings.Load(r.GetValue(config));
            using var storage = StorageProvider.Open(options);
            action(new UserAdmin(storage.Users, options.Security.PasswordMinLength), output);
            return 0;
        }
        catch (Exception e) when (e is UserAdminException or ArgumentException or FileNotFoundException or IOException or UnauthorizedAccessException)
        {
            r.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>Twice without echo on a terminal; one line from redirected input (scripts: `echo "$PW" | precompute users add …`).</summary>
    private static string ReadPassword(TextReader? input, TextWriter output, string name)
    {
        if (input is not null || Console.IsInputRedirected)
            return (input ?? Console.In).ReadLine() ?? throw new UserAdminException("password: standard input ended before a password line (or pass --password)");
        string first = Prompt(output, $"password for {name}: "), second = Prompt(output, "again: ");
        if (first != second) throw new UserAdminException("password: the two entries differ");
        return first;
    }

    private static string Prompt(TextWriter output, string text)
    {
        output.Write(text);
        var typed = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (typed.Length > 0) typed.Length--; }
            else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
        }
        output.WriteLine();
        return typed.ToString();
    }
}
