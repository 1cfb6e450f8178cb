from iamfence.cli.main import main

main()
