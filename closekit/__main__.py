from closekit.cli import main

main()
