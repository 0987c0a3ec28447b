using Orian.Service;

OrianApp.Build(args).Run();
