from loomta_sync.cli.main import main

main()
