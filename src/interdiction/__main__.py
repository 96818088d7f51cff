from interdiction.cli.main import main

main()
