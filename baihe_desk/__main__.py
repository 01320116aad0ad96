from baihe_desk.cli import main

raise SystemExit(main())
