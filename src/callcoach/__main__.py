from callcoach.cli.main import run

run()
