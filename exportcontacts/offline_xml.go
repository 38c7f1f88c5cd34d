package exportcontacts

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// nameMode says how DisplayName/ExternalUri attributes are encoded.
type nameMode int

const (
	plainNames  nameMode = iota // DBImpExp: plain text
	base64Names                 // DocItemSet.xml: base64 of UTF-8
	detectNames                 // HomedResources root: plain unless the "~" group is spelled "fg=="
)

const lcdPrefix = "urn:lcd:" // DocItem holding a user's contact list

// errStop unwinds the parser after fn returned an error (kept in xmlParser.fnErr).
var errStop = errors.New("stopped")

// xmlParser walks one XML document with RawToken: elements are matched by local name,
// namespace prefixes ignored (the real files carry default namespaces), and the nesting
// is checked by the parser itself since RawToken does not. Decoder.Token with
// DecodeElement per HomedResource was tried (issue 13) and read a zip at 112,000-133,000
// contacts per CPU-second against 204,000-205,000 for this (BenchmarkReadExportZip -benchtime
// 3x, same machine, same hour): the export's speed target is 200,000 contacts/s.
type xmlParser struct {
	d     *xml.Decoder
	fn    func(*contactList) error
	fnErr error
	// scratch for the HomedResource being read
	groups   []rawGroup
	contacts []rawContact
	stack    []string
}

type rawGroup struct{ number, name, ext string }
type rawContact struct{ buddy, name, altName, groups string }

// readXML reads one document. Errors name the document, except errors from fn (returned
// as is) and errNotContactData (wrapped, for the caller to name).
func readXML(br *bufio.Reader, name string, fn func(*contactList) error) error {
	text, err := textReader(br)
	if err != nil {
		return fmt.Errorf("read export %s: %w", name, err)
	}
	d := xml.NewDecoder(text)
	d.CharsetReader = declaredCharset
	p := &xmlParser{d: d, fn: fn}
	root, err := p.root()
	if err != nil {
		if errors.Is(err, errNotContactData) {
			return err
		}
		return fmt.Errorf("read export %s: %w", name, err)
	}
	switch root.Name.Local {
	case "DocItemSet":
		err = p.docItemSet(root)
	case "HomedResources":
		err = p.homedResources(root)
	case "HomedResource":
		err = p.homedResource(root, attr(root, "UserAtHost"), detectNames)
	default:
		return fmt.Errorf("root element <%s>: %w", root.Name.Local, errNotContactData)
	}
	if p.fnErr != nil {
		return p.fnErr
	}
	if err != nil {
		return fmt.Errorf("read export %s: %w", name, err)
	}
	return nil
}

func (p *xmlParser) root() (xml.StartElement, error) {
	for {
		t, err := p.d.RawToken()
		if err == io.EOF {
			return xml.StartElement{}, fmt.Errorf("no XML element: %w", errNotContactData)
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		if se, ok := t.(xml.StartElement); ok {
			return se, nil
		}
	}
}

// child returns the next child element of the element named parent, ok=false at its end.
func (p *xmlParser) child(parent string) (se xml.StartElement, ok bool, err error) {
	for {
		t, err := p.d.RawToken()
		if err != nil {
			if err == io.EOF {
				err = fmt.Errorf("file ends inside <%s>", parent)
			}
			return se, false, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			return t, true, nil
		case xml.EndElement:
			if t.Name.Local != parent {
				return se, false, p.mismatch(t, parent)
			}
			return se, false, nil
		}
	}
}

func (p *xmlParser) mismatch(t xml.EndElement, open string) error {
	line, _ := p.d.InputPos()
	return fmt.Errorf("XML syntax error on line %d: element <%s> closed by </%s>", line, open, t.Name.Local)
}

// skip consumes the rest of the element se, whose start was just read.
func (p *xmlParser) skip(se xml.StartElement) error {
	p.stack = append(p.stack[:0], se.Name.Local)
	for len(p.stack) > 0 {
		t, err := p.d.RawToken()
		if err != nil {
			if err == io.EOF {
				err = fmt.Errorf("file ends inside <%s>", p.stack[len(p.stack)-1])
			}
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			p.stack = append(p.stack, t.Name.Local)
		case xml.EndElement:
			open := p.stack[len(p.stack)-1]
			if t.Name.Local != open {
				return p.mismatch(t, open)
			}
			p.stack = p.stack[:len(p.stack)-1]
		}
	}
	return nil
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space != "xmlns" {
			return a.Value
		}
	}
	return ""
}

// docItemSet: DocItemSet > DocItem[@Name="urn:lcd:user@domain"] > Data > HomedResource.
// Other DocItems (urn:hcd:, urn:upc:, …) are skipped whole.
func (p *xmlParser) docItemSet(root xml.StartElement) error {
	for {
		se, ok, err := p.child(root.Name.Local)
		if err != nil || !ok {
			return err
		}
		name := attr(se, "Name")
		if se.Name.Local != "DocItem" || len(name) < len(lcdPrefix) || !strings.EqualFold(name[:len(lcdPrefix)], lcdPrefix) {
			if err := p.skip(se); err != nil {
				return err
			}
			continue
		}
		if err := p.docItem(se, name[len(lcdPrefix):]); err != nil {
			return err
		}
	}
}

func (p *xmlParser) docItem(item xml.StartElement, owner string) error {
	found := false
	for {
		se, ok, err := p.child(item.Name.Local)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		switch se.Name.Local {
		case "Data":
			for {
				hr, ok, err := p.child(se.Name.Local)
				if err != nil {
					return err
				}
				if !ok {
					break
				}
				if hr.Name.Local != "HomedResource" {
					if err := p.skip(hr); err != nil {
						return err
					}
					continue
				}
				found = true
				if err := p.homedResource(hr, owner, base64Names); err != nil {
					return err
				}
			}
		default:
			if err := p.skip(se); err != nil {
				return err
			}
		}
	}
	if !found { // the user is in the export, with nothing on the list
		return p.emit(&contactList{Owner: ownerAddress(owner)})
	}
	return nil
}

// homedResources: HomedResources > HomedResource[@UserAtHost] (DBImpExp, per-user exports).
func (p *xmlParser) homedResources(root xml.StartElement) error {
	for {
		se, ok, err := p.child(root.Name.Local)
		if err != nil || !ok {
			return err
		}
		if se.Name.Local != "HomedResource" {
			if err := p.skip(se); err != nil {
				return err
			}
			continue
		}
		if err := p.homedResource(se, attr(se, "UserAtHost"), detectNames); err != nil {
			return err
		}
	}
}

// homedResource reads one owner's ContactGroups and Contacts (any other child, and any
// child of a ContactGroup or Contact, is skipped) and hands the list to fn.
func (p *xmlParser) homedResource(hr xml.StartElement, owner string, mode nameMode) error {
	p.groups, p.contacts = p.groups[:0], p.contacts[:0]
	for {
		se, ok, err := p.child(hr.Name.Local)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		switch se.Name.Local {
		case "ContactGroups", "Contacts":
			if err := p.list(se); err != nil {
				return err
			}
		default:
			if err := p.skip(se); err != nil {
				return err
			}
		}
	}
	return p.emit(p.build(owner, mode))
}

// list reads the ContactGroup or Contact children of ContactGroups or Contacts.
func (p *xmlParser) list(parent xml.StartElement) error {
	for {
		se, ok, err := p.child(parent.Name.Local)
		if err != nil || !ok {
			return err
		}
		switch {
		case se.Name.Local == "ContactGroup" && parent.Name.Local == "ContactGroups":
			p.groups = append(p.groups, rawGroup{attr(se, "Number"), attr(se, "DisplayName"), attr(se, "ExternalUri")})
		case se.Name.Local == "Contact" && parent.Name.Local == "Contacts":
			p.contacts = append(p.contacts, rawContact{attr(se, "Buddy"), attr(se, "DisplayName"), attr(se, "Name"), attr(se, "Groups")})
		}
		if err := p.skip(se); err != nil {
			return err
		}
	}
}

func (p *xmlParser) emit(cl *contactList) error {
	if err := p.fn(cl); err != nil {
		p.fnErr = err
		return errStop
	}
	return nil
}

// build decodes the raw attributes of one owner. A decoding error leaves the list empty,
// with Err naming the owner and the attribute.
func (p *xmlParser) build(owner string, mode nameMode) *contactList {
	owner = ownerAddress(owner)
	cl, err := p.decode(owner, mode)
	if err != nil {
		return &contactList{Owner: owner, Err: err}
	}
	return cl
}

func (p *xmlParser) decode(owner string, mode nameMode) (*contactList, error) {
	if owner == "" {
		return nil, errors.New("HomedResource without an owner (UserAtHost or DocItem Name)")
	}
	if mode == detectNames {
		mode = p.detect()
	}
	name := func(s string) (string, error) {
		if mode == base64Names {
			return decodeBase64(s)
		}
		return s, nil
	}
	cl := &contactList{Owner: owner, Groups: make([]contactGroup, 0, len(p.groups)), Contacts: make([]contactEntry, 0, len(p.contacts))}
	for _, g := range p.groups {
		n, err := strconv.Atoi(strings.TrimSpace(g.number))
		if err != nil {
			return nil, fmt.Errorf("sip:%s: ContactGroup attribute Number %q is not a group number", owner, g.number)
		}
		dn, err := name(g.name)
		if err != nil {
			return nil, fmt.Errorf("sip:%s: ContactGroup %d attribute DisplayName: %w", owner, n, err)
		}
		ext, err := name(g.ext)
		if err != nil {
			return nil, fmt.Errorf("sip:%s: ContactGroup %d attribute ExternalUri: %w", owner, n, err)
		}
		cl.Groups = append(cl.Groups, contactGroup{Number: n, Name: dn, ExternalURI: strings.TrimSpace(ext)})
	}
	for _, c := range p.contacts {
		raw := c.name
		if raw == "" && mode == plainNames {
			raw = c.altName // OCS-era exports name the nickname "Name"
		}
		nick, err := name(raw)
		if err != nil {
			return nil, fmt.Errorf("sip:%s: Contact %s attribute DisplayName: %w", owner, c.buddy, err)
		}
		var groups []int
		if fields := strings.Fields(c.groups); len(fields) > 0 {
			groups = make([]int, 0, len(fields))
			for _, f := range fields {
				n, err := strconv.Atoi(f)
				if err != nil {
					return nil, fmt.Errorf("sip:%s: Contact %s attribute Groups %q: %q is not a group number", owner, c.buddy, c.groups, f)
				}
				groups = append(groups, n)
			}
		}
		cl.Contacts = append(cl.Contacts, contactEntry{Buddy: c.buddy, Nickname: nick, Groups: groups})
	}
	return cl, nil
}

// detect tells base64 names from plain ones in a HomedResources document: every Lync list
// has the built-in "~" group, which reads "fg==" when the names are base64.
func (p *xmlParser) detect() nameMode {
	b64 := false
	for _, g := range p.groups {
		switch g.name {
		case lyncDefaultGroup:
			return plainNames
		case "fg==":
			b64 = true
		}
	}
	if b64 {
		return base64Names
	}
	return plainNames
}
