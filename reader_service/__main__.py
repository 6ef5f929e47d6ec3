from reader_service.cli import main

main()
