"""Buttons and menus under the cards.

Abstract and BibTeX are ``DynamicItem``s: the paper id lives in the ``custom_id``, so they
keep working after the bot restarts. Paging and "Another" belong to whoever asked: others get
a short note, and the controls disable themselves when they time out.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from commands import cards
from commands.shared import NO_PINGS, UserError, catalog_of, off_loop, reply
from store.models import Paper

log = logging.getLogger(__name__)
OWNER_TIMEOUT = 600.0
_ID = r"(?P<id>[^:]{1,80})"


async def _load_paper(interaction: discord.Interaction[Any], paper_id: str) -> Paper | None:
    """The button's paper, or None after telling the clicker it is gone.

    Persistent buttons are dispatched outside any view of ours, so their user errors are
    answered here rather than by the command tree's handler.
    """
    paper = await off_loop(catalog_of(interaction).paper, paper_id)
    if paper is None:
        await reply(interaction, content="That paper is no longer in the catalog.", ephemeral=True)
    return paper


class AbstractButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"paper:abstract:{_ID}"):
    """Shows the whole abstract, to the clicker only, split into messages if needed."""

    def __init__(self, paper_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Abstract", style=discord.ButtonStyle.secondary, custom_id=f"paper:abstract:{paper_id}"
            )
        )
        self.paper_id = paper_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> AbstractButton:
        return cls(match["id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        paper = await _load_paper(interaction, self.paper_id)
        if paper is None:
            return
        for chunk in cards.abstract_chunks(paper):
            await reply(interaction, content=chunk, ephemeral=True)


class BibtexButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"paper:bibtex:{_ID}"):
    """Shows a BibTeX entry in a code block, to the clicker only."""

    def __init__(self, paper_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="BibTeX", style=discord.ButtonStyle.secondary, custom_id=f"paper:bibtex:{paper_id}"
            )
        )
        self.paper_id = paper_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> BibtexButton:
        return cls(match["id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        paper = await _load_paper(interaction, self.paper_id)
        if paper is None:
            return
        await reply(interaction, content=f"```bibtex\n{cards.bibtex(paper)}\n```", ephemeral=True)


def add_card_buttons(view: discord.ui.View, paper: Paper) -> discord.ui.View:
    """Abstract, BibTeX and (when there is one) a Code link."""
    view.add_item(AbstractButton(paper.id))
    view.add_item(BibtexButton(paper.id))
    if paper.code_url:
        view.add_item(discord.ui.Button(label="Code", style=discord.ButtonStyle.link, url=paper.code_url))
    return view


def card_view(paper: Paper) -> discord.ui.View:
    """The buttons of a plain card: persistent, so no timeout."""
    return add_card_buttons(discord.ui.View(timeout=None), paper)


class OwnedView(discord.ui.View):
    """Controls that answer only the person who asked, and switch off when they time out."""

    def __init__(self, owner_id: int, timeout: float = OWNER_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.message: discord.Message | discord.InteractionMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "These controls belong to whoever asked; run the command yourself to get your own.",
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )
        return False

    async def on_timeout(self) -> None:
        """Disable this view's own controls; the card's Abstract/BibTeX/Code keep working."""
        for item in self.children:
            if isinstance(item, discord.ui.DynamicItem):
                continue
            if isinstance(item, discord.ui.Button) and item.style is discord.ButtonStyle.link:
                continue
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.debug("could not disable the controls of an old message", exc_info=True)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await interaction.client.tree.on_error(interaction, error)  # type: ignore[attr-defined, arg-type]


class RandomView(OwnedView):
    """A random card's buttons: Another (the asker's), plus the card's persistent buttons."""

    def __init__(self, owner_id: int, paper: Paper, pick: Callable[[], Awaitable[Paper | None]]) -> None:
        super().__init__(owner_id)
        self.pick = pick
        self.another_button = discord.ui.Button(label="Another", style=discord.ButtonStyle.primary)
        self.another_button.callback = self.another  # type: ignore[method-assign]
        self._build(paper)

    def _build(self, paper: Paper) -> None:
        self.clear_items()
        self.add_item(self.another_button)
        add_card_buttons(self, paper)

    async def another(self, interaction: discord.Interaction[Any]) -> None:
        paper = await self.pick()
        if paper is None:
            raise UserError("No other paper matches those filters.")
        self._build(paper)
        await interaction.response.edit_message(embed=cards.paper_embed(paper), view=self)
        self.message = interaction.message


class PagedView(OwnedView):
    """Previous / Next over pages of papers, and a menu to open any paper on the page."""

    def __init__(
        self,
        owner_id: int,
        render: Callable[[int], Awaitable[tuple[discord.Embed, list[Paper]]]],
        page_count: int,
        ephemeral: bool,
    ) -> None:
        super().__init__(owner_id)
        self.render = render
        self.page = 0
        self.page_count = page_count
        self.ephemeral = ephemeral
        self.papers: list[Paper] = []
        self.previous = discord.ui.Button(label="Previous", style=discord.ButtonStyle.secondary)
        self.next = discord.ui.Button(label="Next", style=discord.ButtonStyle.secondary)
        self.menu: discord.ui.Select[Any] = discord.ui.Select(
            placeholder="Open a paper…", min_values=1, max_values=1
        )
        self.previous.callback = self.go_previous  # type: ignore[method-assign]
        self.next.callback = self.go_next  # type: ignore[method-assign]
        self.menu.callback = self.open_paper  # type: ignore[method-assign]

    async def first_page(self) -> discord.Embed:
        embed, self.papers = await self.render(0)
        self._refresh()
        return embed

    def _refresh(self) -> None:
        self.clear_items()
        if self.page_count > 1:
            self.previous.disabled = self.page == 0
            self.next.disabled = self.page >= self.page_count - 1
            self.add_item(self.previous)
            self.add_item(self.next)
        if self.papers:
            self.menu.options = [
                discord.SelectOption(
                    label=cards.clip(p.title, 100),
                    value=str(i),
                    description=cards.clip(cards.choice_name(p)[-100:], 100),
                )
                for i, p in enumerate(self.papers[:25])
            ]
            self.add_item(self.menu)

    async def _show(self, interaction: discord.Interaction[Any], page: int) -> None:
        self.page = max(0, min(page, self.page_count - 1))
        embed, self.papers = await self.render(self.page)
        self._refresh()
        await interaction.response.edit_message(embed=embed, view=self)
        self.message = interaction.message

    async def go_previous(self, interaction: discord.Interaction[Any]) -> None:
        await self._show(interaction, self.page - 1)

    async def go_next(self, interaction: discord.Interaction[Any]) -> None:
        await self._show(interaction, self.page + 1)

    async def open_paper(self, interaction: discord.Interaction[Any]) -> None:
        paper = self.papers[int(self.menu.values[0])]
        await reply(
            interaction, embed=cards.paper_embed(paper), view=card_view(paper), ephemeral=self.ephemeral
        )
