namespace EventRuntime.TestSupport;

/// <summary>The checkout the tests run from: the directory above the test binaries that holds EventRuntime.sln.</summary>
public static class Repository
{
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(directory.FullName, "EventRuntime.sln")))
            {
                directory = directory.Parent ?? throw new InvalidOperationException("EventRuntime.sln not found above " + AppContext.BaseDirectory);
            }

            return directory.FullName;
        }
    }
}
