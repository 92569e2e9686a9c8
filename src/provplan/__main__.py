from provplan.cli import main

main()
