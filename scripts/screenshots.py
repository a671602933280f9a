"""Screenshots of the window's main states in English, Russian and Chinese, and of the source
view (a cited PDF page and a cited note, in each language, and in the dark theme in
English), into docs/screenshots/. `--only-sources --language ru` takes the Russian source
view's pictures alone.

Run under a virtual display:

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python scripts/screenshots.py

The window runs over the real services (a temporary data folder, the built-in embedder)
with the fake Ollama server from the tests standing in for Ollama, so nothing needs a
network or a GPU.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.app import Services, bootstrap  # noqa: E402
from desktop.ui import theme  # noqa: E402
from desktop.ui.loop import install_loop  # noqa: E402
from desktop.ui.main import install_translator  # noqa: E402
from desktop.ui.main_window import MainWindow  # noqa: E402
from desktop.ui.render import MessageEntry  # noqa: E402
from desktop.ui.tasks import TaskRegistry  # noqa: E402
from tests.fakes.ollama_server import FakeOllama  # noqa: E402
from tests.fakes.plugin import CLOUD_KEY, cloud_models, local_models  # noqa: E402

OUT = ROOT / "docs" / "screenshots"

DOCS = {
    "orchard.md": "# The orchard\n\nThe old orchard behind the mill grows forty apple trees "
    "of the Antonovka variety. They were planted in 1952 by the miller's daughter.\n\n"
    "## Harvest\n\nApples are picked in late September and stored in the cellar.\n",
    "bees.md": "# Bees\n\nThree hives stand at the edge of the orchard. The bees pollinate "
    "the apple blossom in May.\n",
    "cider.md": "# Cider\n\nWindfalls are pressed in October. The juice ferments for six "
    "weeks in oak barrels before bottling.\n",
    "mill.md": "# The mill\n\nThe water mill was built in 1888 and ground rye until 1961.\n",
}

ANSWER = """The orchard was planted in **1952** by the miller's daughter [1]. It holds forty
Antonovka apple trees, pollinated by bees from three hives at its edge [2].

Harvest timeline:

- late September: apples are picked and stored in the cellar [1]
- October: windfalls are pressed for cider [3]

To count the trees by variety from an inventory file:

```python
from collections import Counter

def count_trees(rows: list[dict[str, str]]) -> Counter[str]:
    # one row per tree, as exported from the survey
    return Counter(row["variety"] for row in rows)
```

Everything above comes from your own notes; no other source was used.
"""

# A two-page report for the source view: the cited passage is on its second page (the
# report fills the first).
REPORT = [
    "The mill's water rights were renewed in March for another twenty years. The county "
    "asks for a yearly reading of the weir and for the fish ladder to be kept clear.",
    "Rye from the upper field was threshed in August and sold to the cooperative in town. "
    "The yield was lower than the year before because of the dry June.",
    "The barn roof was re-tiled on its north side. Two beams under the hayloft were found "
    "to be rotten and were replaced with oak from the woodlot behind the pond.",
    "Repairs to the mill race are planned for the winter, when the water is low. The "
    "sluice gate needs new seals and the iron rack in front of the wheel must be cleaned.",
    "Three new hives were bought in spring; the swarm that left in June settled in the old "
    "pear tree and was taken back in a box the same evening.",
    "The cellar under the mill stays between four and seven degrees all winter, which "
    "keeps the Antonovka apples firm until March.",
    "Fencing along the lane was mended where the cows had broken through, and a new gate "
    "was hung at the corner of the orchard.",
    "The well by the farmhouse was tested in May; the water is clean, but the pump's "
    "leather washers are worn and should be replaced before next summer.",
    "Hay was cut twice, in late June and again in August. The second cut was smaller but "
    "dried well, and the loft was full by the first week of September.",
    "The old cart shed now holds the firewood: twelve cubic metres of birch and alder, "
    "split in October and stacked to dry under the eaves.",
    "Accounts. Income came from rye, apples, cider and honey; the largest costs were the "
    "roof, the new hives and the electricity for the mill's lighting and the pump.",
    "The cooperative offered a better price for apples sorted by size, so a sorting table "
    "was built in the barn and used through the harvest.",
    "Two lambs were born in April and both did well. The ewes were shorn in June, and the "
    "wool was sold at the autumn market together with the neighbours' fleeces.",
    "The lane to the main road was graded after the spring rains washed out the ditch; the "
    "culvert under the gate was cleared of roots and gravel.",
    "Visitors from the school came in September to see the mill grind. The miller showed "
    "them the stones, the gears and the old ledger from 1888.",
    "The miller's grandson repainted the water wheel in July, and the bearings were packed "
    "with fresh grease before the autumn grinding began.",
    "Honey was taken twice: forty jars in July and twenty-six in September, most of it "
    "sold at the farm gate to walkers on the river path.",
    "A fox took two hens in November; the coop now has a wire skirt buried along its "
    "sides and a door that closes by itself at dusk.",
    "Plans for next year: a second drip line for the young trees, new gutters on the "
    "farmhouse, and a proper fence around the hives to keep the sheep away.",
    "The weir was read on the first day of every month.",
]
IRRIGATION = [
    "Irrigation. The orchard is watered from the mill pond by an electric pump installed "
    "in 2019. It draws forty litres a minute and runs for two hours at dawn during dry "
    "spells, from May to August. Each of the forty trees has its own drip line, so that "
    "young trees get more water than the old ones.",
    "The pump is serviced every April: the filter is cleaned, the intake is checked for "
    "silt and the timer is set for the season. Spare drip lines are kept in the tool shed.",
]
ORCHARD_NOTES = """# Orchard notes

## Trees

The old orchard behind the mill grows forty apple trees of the Antonovka variety. They
were planted in 1952 by the miller's daughter, in five rows of eight, on the slope that
runs down to the pond.

Six of the trees in the lowest row were grafted again in 1987 after a hard winter split
their trunks; they bear later than the others and their apples keep longer.

## Work through the year

Pruning is done in February, on dry days, before the sap rises. The cuttings are burned
or chipped for the paths between the rows.

The grass is cut three times a summer and left to lie as mulch under the trees. Nettles
along the fence are kept for the butterflies.

## Harvest

Apples are picked in late September and stored in the cellar under the mill, on slatted
shelves, one layer deep. Bruised apples go to the cider press the same week.

## Water

In dry summers the young trees get water from the pond; the old ones manage on their own.
"""
# {pdf} and {note}: the numbers the report's and the note's passages get.
SOURCE_ANSWER = (
    "The orchard pump draws **forty litres a minute** and runs for two hours at dawn in "
    "dry spells [{pdf}]. The apples are picked in late September and kept in the cellar "
    "[{note}]."
)

# The same farm in Russian and in Chinese, for the source view in those languages.
REPORT_RU = [
    "Права на воду для мельницы продлены в марте ещё на двадцать лет. Округ просит раз в год "
    "снимать показания на плотине и держать рыбоход чистым.",
    "Рожь с верхнего поля обмолотили в августе и продали кооперативу в городе. Урожай был "
    "меньше, чем годом раньше, из-за сухого июня.",
    "Крышу амбара перекрыли с северной стороны. Две балки под сеновалом оказались гнилыми, "
    "их заменили дубом из рощи за прудом.",
    "Ремонт мельничного лотка намечен на зиму, когда вода низкая. Шлюзу нужны новые "
    "уплотнения, а решётку перед колесом надо почистить.",
    "Весной купили три новых улья; рой, улетевший в июне, сел на старую грушу, и в тот же "
    "вечер его забрали обратно в ящике.",
    "В погребе под мельницей всю зиму держится от четырёх до семи градусов, и антоновка "
    "остаётся твёрдой до марта.",
    "Изгородь вдоль дороги починили там, где её проломили коровы, а на углу сада повесили "
    "новые ворота.",
    "Колодец у дома проверили в мае: вода чистая, но кожаные прокладки насоса стёрлись, их "
    "надо заменить до следующего лета.",
    "Сено косили дважды, в конце июня и в августе. Второй укос был меньше, но хорошо "
    "просох, и к первой неделе сентября сеновал был полон.",
    "В старом сарае для телег теперь дрова: двенадцать кубометров берёзы и ольхи, "
    "расколотых в октябре и сложенных сушиться под навесом.",
    "Доходы дали рожь, яблоки, сидр и мёд; самые большие расходы — крыша, новые ульи и "
    "электричество для освещения мельницы и насоса.",
    "Кооператив предложил лучшую цену за яблоки, рассортированные по размеру, поэтому в "
    "амбаре сделали сортировочный стол и работали за ним весь сбор.",
    "В апреле родились два ягнёнка, оба здоровы. Овец остригли в июне, а шерсть продали на "
    "осенней ярмарке вместе с соседской.",
    "Дорогу к шоссе выровняли после весенних дождей, размывших канаву; трубу под воротами "
    "очистили от корней и гравия.",
    "В сентябре приезжали школьники посмотреть, как мелет мельница. Мельник показал им "
    "жернова, шестерни и старую книгу учёта 1888 года.",
    "Мёд качали дважды: сорок банок в июле и двадцать шесть в сентябре, почти всё продали у "
    "ворот фермы гуляющим по тропе вдоль реки.",
    "Планы на следующий год: вторая капельная линия для молодых деревьев, новые водостоки "
    "на доме и ограда вокруг ульев от овец.",
]
IRRIGATION_RU = [
    "Полив. Сад поливают из мельничного пруда электрическим насосом, поставленным в 2019 "
    "году. Он качает сорок литров в минуту и в засуху работает по два часа на рассвете, с "
    "мая по август. У каждого из сорока деревьев своя капельная линия, так что молодые "
    "деревья получают больше воды, чем старые.",
    "Насос обслуживают каждый апрель: чистят фильтр, проверяют заборник на ил и ставят "
    "таймер на сезон. Запасные капельные линии лежат в сарае с инструментами.",
]
ORCHARD_NOTES_RU = """# Заметки о саде

## Деревья

В старом саду за мельницей растут сорок яблонь сорта антоновка. Их посадила дочь мельника
в 1952 году, пятью рядами по восемь, на склоне, что спускается к пруду.

Шесть деревьев нижнего ряда заново привили в 1987 году, после суровой зимы, расколовшей
им стволы; они плодоносят позже других, а их яблоки дольше хранятся.

## Работы по сезонам

Обрезку делают в феврале, в сухие дни, до сокодвижения. Ветки сжигают или измельчают для
дорожек между рядами.

Траву косят трижды за лето и оставляют под деревьями как мульчу. Крапиву вдоль забора
оставляют для бабочек.

## Сбор урожая

Яблоки снимают в конце сентября и хранят в погребе под мельницей на решётчатых полках, в
один слой. Битые яблоки в ту же неделю идут под пресс на сидр.

## Вода

В сухое лето молодые деревья поливают из пруда; старые обходятся сами.
"""
REPORT_ZH = [
    "磨坊的用水权已于三月续期二十年。县里要求每年读取一次堰的水位，并保持鱼道畅通。",
    "上坡地的黑麦在八月脱粒，卖给了镇上的合作社。由于六月干旱，产量比前一年低。",
    "谷仓北面的屋顶重新铺了瓦。干草棚下的两根梁已经腐烂，换成了池塘后面林子里的橡木。",
    "水渠的维修安排在冬天水位低的时候。闸门需要新的密封条，水轮前的铁栅也要清理。",
    "春天新买了三个蜂箱；六月飞走的蜂群落在老梨树上，当晚就被装进箱子带了回来。",
    "磨坊下面的地窖整个冬天保持在四到七度之间，安东诺夫卡苹果可以一直脆到三月。",
    "沿小路被牛撞坏的篱笆已经修好，果园拐角处装了一扇新门。",
    "农舍旁的水井在五月做了检测：水质干净，但水泵的皮垫已经磨损，明年夏天之前应当更换。",
    "干草割了两次，一次在六月底，一次在八月。第二茬较少，但晒得很好，九月第一周草棚就满了。",
    "旧车棚现在存放柴火：十二立方米的桦木和桤木，十月劈好，堆在屋檐下晾干。",
    "收入来自黑麦、苹果、苹果酒和蜂蜜；最大的开支是屋顶、新蜂箱以及磨坊照明和水泵的电费。",
    "合作社对按大小分拣的苹果出价更高，于是在谷仓里做了一张分拣台，整个收获季都在用。",
    "四月生了两只小羊，都很健康。母羊在六月剪毛，羊毛和邻居的一起在秋季集市上卖掉了。",
    "春雨冲毁水沟后，通往大路的小路重新平整过；大门下的涵洞也清除了树根和碎石。",
    "九月学校的孩子们来参观磨坊磨面。磨坊主给他们看了磨盘、齿轮和一八八八年的旧账本。",
    "蜂蜜取了两次：七月四十罐，九月二十六罐，大部分在农场门口卖给了沿河散步的人。",
    "十一月狐狸叼走了两只母鸡；鸡舍四周现在埋了一圈铁丝网，门也会在黄昏时自动关上。",
    "明年的计划：给小树再铺一条滴灌管，给农舍换新的雨水槽，在蜂箱周围围上篱笆。",
    "大坝的水位每月第一天读取一次。",
]
IRRIGATION_ZH = [
    "灌溉。果园用二〇一九年安装的电动水泵从磨坊池塘取水。水泵每分钟抽水四十升，干旱时从五月"
    "到八月每天黎明运行两个小时。四十棵树每棵都有自己的滴灌管，所以小树比老树得到更多的水。",
    "水泵每年四月保养一次：清洗过滤器，检查进水口是否有淤泥，并设定本季的定时器。备用滴灌管"
    "放在工具棚里。",
]
ORCHARD_NOTES_ZH = """# 果园笔记

## 果树

磨坊后面的老果园种着四十棵安东诺夫卡苹果树。它们是磨坊主的女儿在一九五二年种下的，
共五排，每排八棵，种在通往池塘的山坡上。

最下面一排有六棵树在一九八七年重新嫁接过，因为那年严冬冻裂了树干；它们结果比别的树晚，
苹果也更耐存放。

## 一年的农活

修剪在二月的晴天进行，赶在树液上升之前。剪下的枝条烧掉，或者粉碎后铺在行间小路上。

草每个夏天割三次，留在树下当覆盖物。篱笆边的荨麻留给蝴蝶。

## 收获

苹果在九月下旬采摘，放在磨坊下面地窖的板条架上，只放一层。碰伤的苹果当周就送去榨苹果酒。

## 水

干旱的夏天，小树用池塘的水浇灌；老树不用管。
"""


@dataclass(frozen=True)
class Farm:
    """The source view's documents, question, answer (with {pdf} and {note} for the
    numbers of the passages it cites), and the words that pick the PDF's and the note's
    passages, in one language."""

    report: list[str]
    irrigation: list[str]
    notes: str
    question: str
    answer: str
    pdf_words: str
    note_words: str
    report_name: str
    notes_name: str
    header: str
    pdf_language: str


FARMS = {
    "en": Farm(
        REPORT,
        IRRIGATION,
        ORCHARD_NOTES,
        "How is the orchard watered, and when is the harvest?",
        SOURCE_ANSWER,
        "forty litres a minute",
        "picked in late September",
        "farm-report-2024.pdf",
        "orchard-notes.md",
        "Mill Farm",
        "en",
    ),
    "ru": Farm(
        REPORT_RU,
        IRRIGATION_RU,
        ORCHARD_NOTES_RU,
        "Как поливают сад и когда собирают урожай?",
        "Насос в саду качает **сорок литров в минуту** и в засуху работает по два часа на "
        "рассвете [{pdf}]. Яблоки снимают в конце сентября и хранят в погребе [{note}].",
        "сорок литров в минуту",
        "снимают в конце сентября",
        "отчёт-фермы-2024.pdf",
        "заметки-о-саде.md",
        "Мельничная ферма",
        "ru",
    ),
    "zh_CN": Farm(
        REPORT_ZH,
        IRRIGATION_ZH,
        ORCHARD_NOTES_ZH,
        "果园怎么浇水？什么时候收获？",
        "果园的水泵**每分钟抽水四十升**，干旱时每天黎明运行两个小时 [{pdf}]。"
        "苹果在九月下旬采摘，存放在地窖里 [{note}]。",
        "每分钟抽水四十升",
        "九月下旬采摘",
        "农场报告-2024.pdf",
        "果园笔记.md",
        "磨坊农场",
        "zh",
    ),
}

QUESTIONS = {
    "en": "Who planted the orchard, and when is the harvest?",
    "zh_CN": "果园是谁种的？什么时候收获？",
}


async def until(check: Callable[[], bool], limit: float = 30.0) -> None:
    """Wait until `check()` holds, at most `limit` seconds."""
    # Widget state has no event to wait on: poll it.
    async with asyncio.timeout(limit):
        while True:
            if check():
                return
            await asyncio.sleep(0.05)


async def settle(seconds: float = 0.4) -> None:
    await asyncio.sleep(seconds)
    QApplication.processEvents()


SIZE = (1280, 800)


def save(widget: QWidget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(OUT / f"{name}.png"))
    print("wrote", OUT / f"{name}.png")


def save_screen(window: QWidget, name: str) -> None:
    """The screen over the window, popups included (a grab of the window misses them)."""
    OUT.mkdir(parents=True, exist_ok=True)
    frame = window.frameGeometry()
    shot = window.screen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    shot.save(str(OUT / f"{name}.png"))
    print("wrote", OUT / f"{name}.png")


async def shoot(app: QApplication, language: str, dark: bool) -> None:
    suffix = f"{language}{'-dark' if dark else ''}"
    with (
        FakeOllama(models=local_models()) as local,
        FakeOllama(cloud=True, api_key=CLOUD_KEY, models=cloud_models()) as cloud,
        tempfile.TemporaryDirectory() as tmp,
    ):
        env = {
            "OLLAMA_HOST": local.url,
            "HEARTH_CLOUD_URL": cloud.url,
            "OLLAMA_API_KEY": CLOUD_KEY,
            "HOME": tmp,
        }
        ctx = bootstrap(str(Path(tmp) / "data"), env=env)
        s = ctx.settings
        s.provider.chat_model = "llama3.2:latest"
        s.provider.cloud_model = "gpt-oss:120b"
        s.provider.mode = "auto"
        s.provider.cloud_enabled = True
        s.ui.language = language
        install_translator(app, language)
        colors = theme.DARK if dark else theme.LIGHT
        theme.apply(app, colors)
        services = await Services.open(ctx)
        tasks = TaskRegistry()
        window = MainWindow(ctx, colors, tasks)
        window.resize(*SIZE)
        window.show()
        window.attach(services)
        await until(lambda: window.top_bar.model_picker.count() > 0)
        await settle(1.0)
        save(window, f"empty-{suffix}")
        if dark:
            await finish(window, tasks, services)
            return

        # Auto offers the local models and the live cloud catalogue, each with its place.
        await until(lambda: window.top_bar.model_picker.count() >= 4)
        window.top_bar.model_picker.showPopup()
        await settle(0.6)
        save_screen(window, f"picker-{suffix}")
        window.top_bar.model_picker.hidePopup()

        folder = Path(tmp) / "notes"
        folder.mkdir()
        for name, text in DOCS.items():
            (folder / name).write_text(text, encoding="utf-8")
        # Enough files for the progress list to fill, few enough to index in a minute on a
        # busy two-core machine.
        for i in range(12):
            (folder / f"diary-{i:02}.md").write_text(
                f"# Diary {i}\n\n" + "The orchard was quiet today. " * 120, encoding="utf-8"
            )
        window.knowledge.add([str(folder)])
        await until(lambda: window.ingest_panel.files.count() >= 6)
        await settle(0.3)
        save(window, f"indexing-{suffix}")
        await until(lambda: not tasks.running("ingest"), limit=600)
        await settle(1.0)

        local.set_reply(ANSWER)
        window.chat.composer.setPlainText(QUESTIONS.get(language, QUESTIONS["en"]))
        window.chat.send_button.click()
        await until(lambda: any(e.role == "assistant" for e in window.chat.entries()))
        answer = window.chat.entries()[-1]
        await until(lambda: not answer.streaming)
        await settle()
        save(window, f"answer-{suffix}")

        window.chat_controller.open_conversation(window.chat_controller.conversation_id or 0)
        await settle(0.5)
        window.open_settings()
        await until(lambda: window.settings_controller.dialog is not None)
        dialog = window.settings_controller.dialog
        assert dialog is not None
        dialog.test_local_button.click()
        await until(lambda: dialog.local_result.text() != "")
        await settle()
        save(dialog, f"settings-{suffix}")
        dialog.reject()

        models = window.models_controller.open(window)
        await until(lambda: models.installed.topLevelItemCount() > 0)
        local.add_pullable("mistral:7b", (400_000_000, 12_000), chunk=2_000_000)
        local.set_token_delay(0.01)
        models.pull_name.setText("mistral:7b")
        models.pull_button.click()
        await until(lambda: models.layers.topLevelItemCount() > 0)
        await settle(0.6)
        save(models, f"models-{suffix}")
        models.pull_cancelled.emit()
        models.reject()
        local.set_token_delay(0.0)

        local.set_reply(" ".join(ANSWER.split()[:60]) + " " + "more " * 300)
        local.set_token_delay(0.02)
        before = len(window.chat.entries())
        window.chat.composer.setPlainText(QUESTIONS.get(language, QUESTIONS["en"]))
        window.chat.send_button.click()
        await until(lambda: len(window.chat.entries()) == before + 2)
        failed = window.chat.entries()[-1]
        await until(lambda: len(failed.content) > 300)
        local.stop()
        await until(lambda: not failed.streaming)
        await settle()
        save(window, f"error-{suffix}")
        await finish(window, tasks, services)


async def shoot_sources(app: QApplication, language: str, dark: bool) -> None:
    """The source view on a cited PDF page (its passage marked) and on a cited note, with
    the window and the documents in `language`."""
    from bench.pdf_samples import PAGE_BREAK, plain

    farm = FARMS[language]
    suffix = f"{language}{'-dark' if dark else ''}"
    with FakeOllama(models=local_models()) as local, tempfile.TemporaryDirectory() as tmp:
        ctx = bootstrap(str(Path(tmp) / "data"), env={"OLLAMA_HOST": local.url, "HOME": tmp})
        ctx.settings.provider.chat_model = "llama3.2:latest"
        ctx.settings.provider.mode = "local"
        ctx.settings.ui.language = language
        install_translator(app, language)
        colors = theme.DARK if dark else theme.LIGHT
        theme.apply(app, colors)
        services = await Services.open(ctx)
        tasks = TaskRegistry()
        window = MainWindow(ctx, colors, tasks)
        window.resize(*SIZE)
        window.show()
        window.attach(services)
        folder = Path(tmp) / "farm"
        folder.mkdir()
        report = plain(
            folder / farm.report_name,
            farm.pdf_language,
            [*farm.report, PAGE_BREAK, *farm.irrigation],
            farm.header,
        )
        print("report pages:", len(report.pages))
        (folder / farm.notes_name).write_text(farm.notes, encoding="utf-8")
        window.knowledge.add([str(folder)])
        await until(lambda: window.ingest_panel.files.count() >= 2)
        await until(lambda: not tasks.running("ingest"), limit=120)

        async def ask(reply: str) -> MessageEntry:
            window.chat_controller.new_chat()
            local.set_reply(reply)
            window.chat.composer.setPlainText(farm.question)
            window.chat.send_button.click()
            await until(lambda: any(e.role == "assistant" for e in window.chat.entries()))
            answer = window.chat.entries()[-1]
            await until(lambda: not answer.streaming)
            return answer

        # Asked once to learn the numbers the passages get, then again citing them.
        first = await ask(farm.answer.format(pdf=1, note=2))
        numbers = {
            key: next(c.number for c in first.citations if words in c.text)
            for key, words in (("pdf", farm.pdf_words), ("note", farm.note_words))
        }
        answer = await ask(farm.answer.format(**numbers))
        pdf = next(c for c in answer.citations if c.number == numbers["pdf"])
        note = next(c for c in answer.citations if c.number == numbers["note"])
        for citation, name in ((pdf, "pdf"), (note, "text")):
            window.chat.show_citation(answer.key, citation.number)
            view = window.sources.view
            assert view is not None
            view.resize(860, 760)
            await until(lambda v=view, c=citation: v.citation == c and v.status.text() == "")
            await settle(0.6)
            save(view, f"source-{name}-{suffix}")
        await finish(window, tasks, services)


async def finish(window: MainWindow, tasks: TaskRegistry, services: Services) -> None:
    window.close()
    await tasks.shutdown()
    await services.aclose()


def main() -> int:
    global OUT, SIZE
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--language", action="append", help="en, ru or zh_CN (repeatable)")
    parser.add_argument("--size", default="1280x800", help="window size, e.g. 800x600")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the pictures")
    parser.add_argument("--no-dark", action="store_true", help="skip the dark-theme pictures")
    parser.add_argument(
        "--only-sources",
        action="store_true",
        help="only the source view's pictures (in the languages asked)",
    )

    args = parser.parse_args()
    OUT = args.out
    width, height = (int(n) for n in args.size.split("x"))
    SIZE = (width, height)
    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    loop = install_loop(app)

    languages = args.language or ["en", "ru", "zh_CN"]

    async def run_all() -> None:
        for language in [] if args.only_sources else languages:
            await shoot(app, language, dark=False)
        if not args.no_dark and not args.only_sources and "en" in languages:
            await shoot(app, "en", dark=True)
        for language in languages:
            await shoot_sources(app, language, dark=False)
        if not args.no_dark and "en" in languages:
            await shoot_sources(app, "en", dark=True)

    with loop:
        loop.run_until_complete(run_all())
    return 0


if __name__ == "__main__":
    sys.exit(main())
